import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../common/domain-error';

export interface StoredFile {
  sizeBytes: number;
  sha256: string;
}

/** Diagnostics files on disk under DATA_DIR/diagnostics, named by their request id. */
export class DiagnosticsStorage {
  constructor(
    private readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  /** Streams the body to a temporary file, refusing it past maxBytes; returns the temp path. */
  async receive(body: Readable): Promise<{ tempPath: string } & StoredFile> {
    await mkdir(this.dir, { recursive: true });
    const tempPath = join(this.dir, `upload-${randomUUID()}.part`);
    const hash = createHash('sha256');
    let sizeBytes = 0;
    const max = this.maxBytes;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sizeBytes += chunk.length;
        if (sizeBytes > max) {
          done(new DomainError('PAYLOAD_TOO_LARGE', `The diagnostics file exceeds ${max} bytes`));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tempPath, { mode: 0o600 }));
    } catch (e) {
      await rm(tempPath, { force: true });
      if (e instanceof DomainError) throw e;
      throw new DomainError('BAD_REQUEST', 'The upload was interrupted');
    }
    return { tempPath, sizeBytes, sha256: hash.digest('hex') };
  }

  async keep(tempPath: string, id: string): Promise<void> {
    await rename(tempPath, this.pathOf(id));
  }

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }

  async open(id: string): Promise<Readable> {
    const path = this.pathOf(id);
    await stat(path).catch(() => {
      throw new DomainError('NOT_FOUND', `Diagnostics file ${id} is no longer stored`);
    });
    return createReadStream(path);
  }

  private pathOf(id: string): string {
    return join(this.dir, `${id}.bin`);
  }
}
