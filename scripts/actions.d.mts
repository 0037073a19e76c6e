export declare const ACTIONS: string[];
