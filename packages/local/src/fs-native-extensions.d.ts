declare module 'fs-native-extensions' {
  /** Takes an advisory lock on an open file without waiting (an OFD lock on Linux, flock on macOS); false when another holds it. */
  export function tryLock(fd: number, opts?: { shared?: boolean }): boolean;
  /** Releases a lock taken with tryLock. */
  export function unlock(fd: number): void;
}
