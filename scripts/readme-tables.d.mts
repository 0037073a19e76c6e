export declare function renderTables(action: string): { inputs: string; outputs: string };
export declare function renderReadme(action: string): { file: string; current: string; next: string };
export declare function replaceBetween(text: string, key: string, body: string, file: string): string;
