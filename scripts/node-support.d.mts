export const NODE_MIN: string;
export const WINDOW_NODE_MIN: string;
export function parseNodeVersion(text: string): [number, number, number] | undefined;
export function atLeast(version: string, min: string): boolean;
export function nodeProblem(version: string): string | undefined;
export function windowNodeProblem(version: string): string | undefined;
