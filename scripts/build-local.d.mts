/** Where the runtime is built. */
export declare const LOCAL_BUILD_DIR: string;
/** The built runtime: what `npm start` and a supervisor run with `node`. */
export declare const LOCAL_ENTRY: string;
/** Builds the runtime into `outDir` (dist/local) unless it is up to date (`force`: always); `ms`: the time taken. */
export declare function buildLocal(opts?: {
  outDir?: string;
  force?: boolean;
}): Promise<{ built: boolean; ms: number }>;
