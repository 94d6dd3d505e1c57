/**
 * Counts log lines ("<process> | <JSON line>") by process, level and message, most frequent first:
 * a scenario's 2,000 warnings are read as "1,900 mail retries and 100 aborted requests", not as a
 * count and one sample. A line that is not JSON counts under its first 80 characters.
 */
export function tallyByMessage(lines: string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const bar = line.indexOf(' | ');
    const process = bar >= 0 ? line.slice(0, bar).trim() : '?';
    let key: string;
    try {
      const entry = JSON.parse(line.slice(bar + 3)) as { level?: unknown; msg?: unknown };
      key = `${process} ${String(entry.level)}: ${String(entry.msg)}`;
    } catch {
      key = `${process}: ${line.slice(bar + 3, bar + 83)}`;
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
