export function electronBinary(root: string): { path: string } | { reason: string };
export function displayProblem(): string | undefined;
