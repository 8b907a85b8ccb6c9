import { join } from 'node:path';
import type { LocalConfig } from './config.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { startEngineThread, type EngineThread } from './engine-thread.js';

/** What a start opens before the rest of drumbeat is loaded: the data dir's lock, then the engine's thread. */
export interface EarlyStart {
  lock: DataDirLock | undefined;
  engine: EngineThread;
}

/**
 * Takes the data dir's OS lock, before anything touches the dir (a crashed
 * process's lock is gone with it), and starts the engine's worker thread,
 * which opens the store on its own core while the caller goes on. Light on
 * purpose: `npm start` calls it before it loads the runtime's modules.
 */
export function startEarly(config: LocalConfig): EarlyStart {
  const lock = config.memory ? undefined : lockDataDir(config.dataDir);
  try {
    return { lock, engine: startEngineThread(config.memory ? undefined : join(config.dataDir, 'db')) };
  } catch (err) {
    lock?.release();
    throw err;
  }
}
