/**
 * What `/usr/bin/time -v` reports about a finished command, read from its stderr: wall time, CPU time
 * (user + system) and peak resident set. Shared by the bench scripts that run fresh processes.
 */
export interface TimeV {
  seconds: number;
  cpuSeconds: number;
  peakGiB: number;
}

export function parseTimeV(stderr: string): TimeV {
  const field = (label: string) => {
    const m = new RegExp(`${label}: (.+)`).exec(stderr);
    if (!m) throw new Error(`no "${label}" in /usr/bin/time output`);
    return m[1].trim();
  };
  // h:mm:ss or m:ss(.ss)
  const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)').split(':').map(Number);
  return {
    seconds: wall.reduce((a, b) => a * 60 + b, 0),
    cpuSeconds: Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)')),
    peakGiB: Number(field('Maximum resident set size \\(kbytes\\)')) / 2 ** 20,
  };
}
