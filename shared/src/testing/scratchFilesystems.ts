import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

/** A small filesystem of its own, mounted for one test file, so its faults are real and contained. */
export interface ScratchFilesystem {
  dir: string;
  /** Writes a filler file until the filesystem answers ENOSPC; answers the bytes written. */
  fill(): number;
  /** Deletes the filler: the space is back. */
  free(): void;
  unmount(): void;
}

/** An ext4 image on a loop device (mounted errors=remount-ro), whose kernel can be made to fail it. */
export interface ScratchExt4 extends ScratchFilesystem {
  /**
   * Reports a filesystem error to ext4 (its `trigger_fs_error` file), so the kernel remounts it
   * read-only with every file still open: what a failing disk does to a running service.
   */
  failReadOnly(): void;
  /** Unmounts (nothing may hold files there), repairs with e2fsck and mounts it writable again. */
  repairAndRemount(): void;
}

const mounted = new Set<string>();
let cleanupOnExit = false;

const run = (command: string, args: string[]) =>
  execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
    .toString()
    .trim();

/**
 * Why this machine cannot mount scratch filesystems (not root, no CAP_SYS_ADMIN, no loop
 * devices, no mkfs.ext4), or undefined when it can. Tests skip with this as their message.
 */
export function scratchMountProblem(kind: 'tmpfs' | 'ext4' = 'tmpfs'): string | undefined {
  if (process.platform !== 'linux') return `scratch filesystems need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'scratch filesystems need root (mount)';
  let probe: ScratchFilesystem | undefined;
  try {
    probe = kind === 'tmpfs' ? mountTmpfs(1) : mountExt4(8);
    return undefined;
  } catch (error) {
    return `cannot mount a ${kind} here: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    probe?.unmount();
  }
}

/** Mounts a tmpfs of `sizeMb` on a fresh temp folder. */
export function mountTmpfs(sizeMb: number): ScratchFilesystem {
  const dir = mkdtempSync(join(tmpdir(), 'shop-tmpfs-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return track(dir, () => undefined);
}

/** Makes an ext4 image of `sizeMb` and mounts it through a loop device on a fresh temp folder. */
export function mountExt4(sizeMb: number): ScratchExt4 {
  const dir = mkdtempSync(join(tmpdir(), 'shop-ext4-'));
  const image = `${dir}.img`;
  const removeImage = () => rmSync(image, { force: true });
  const mount = () => run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
  try {
    writeFileSync(image, '');
    run('truncate', ['-s', `${sizeMb}M`, image]);
    run('mkfs.ext4', ['-q', '-F', image]);
    mount();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    removeImage();
    throw error;
  }
  const fs = track(dir, removeImage);
  return {
    ...fs,
    failReadOnly() {
      const device = basename(run('findmnt', ['-n', '-o', 'SOURCE', dir]));
      writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, 'storage fault test');
    },
    repairAndRemount() {
      run('umount', [dir]);
      try {
        run('e2fsck', ['-f', '-y', image]);
      } catch (error) {
        // Exit code 1 means "errors were corrected": the image is fine now.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      mount();
    },
  };
}

function track(dir: string, afterUnmount: () => void): ScratchFilesystem {
  mounted.add(dir);
  if (!cleanupOnExit) {
    cleanupOnExit = true;
    // A test run that dies half-way must not leave mounts behind.
    process.once('exit', () => {
      for (const left of mounted) unmountQuietly(left);
    });
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      let written = 0;
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      unmountQuietly(dir);
      mounted.delete(dir);
      afterUnmount();
    },
  };
}

function unmountQuietly(dir: string): void {
  try {
    run('umount', [dir]);
  } catch {
    // Still busy (a process we started is stopping): detach now, freed when the last file closes.
    try {
      run('umount', ['-l', dir]);
    } catch {
      // not mounted any more
    }
  }
  rmSync(dir, { recursive: true, force: true });
}
