export function electronBinary(root: string): { path: string } | { reason: string; hint?: string };
export function displayProblem(): string | undefined;
