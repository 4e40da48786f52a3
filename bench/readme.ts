/** Where the benchmark's table goes: between two markers in README.md, written by `npm run bench` only. */

export const README_START = "<!-- bench:start -->";
export const README_END = "<!-- bench:end -->";

/** `text` with what lies between the markers replaced by `body`; the markers must each be there once, in order. */
export function replaceBetweenMarkers(text: string, body: string): string {
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  const once = (marker: string) => text.indexOf(marker) === text.lastIndexOf(marker);
  if (start < 0 || end < start || !once(README_START) || !once(README_END))
    throw new Error(`README.md needs ${README_START} and then ${README_END}, once each`);
  return `${text.slice(0, start + README_START.length)}\n${body.trimEnd()}\n${text.slice(end)}`;
}

/** A Markdown table: a header row, then the rows. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)];
}
