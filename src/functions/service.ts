// The functions family's state: the project's functions as last read (read again after a
// change), their secrets (read again when `groundwork_functions` is notified), and the pool
// of warm workers. Routes ask it for a ready worker; it decides what the worker starts with.
import type { Config } from '../config/load.ts';
import type { Database, Unlisten } from '../db/port.ts';
import type { Observer } from '../observe/events.ts';
import { readImportMapFile, readProject, sourceTexts, type FunctionSpec, type FunctionsProject } from './project/catalogue.ts';
import { buildImportMap, remoteSpecifiers } from './project/import-map.ts';
import { workerEnv, type Injected } from './project/worker-env.ts';
import { findDeno } from './runtime/deno-binary.ts';
import { runnerPath, shims } from './runtime/paths.ts';
import { WorkerPool } from './runtime/pool.ts';
import type { FunctionWorker } from './runtime/worker.ts';
import { readSecrets } from './secrets.ts';
import { watchFunctions, type Watching } from './watch.ts';

export interface ServiceOptions {
  readonly settings: Config['functions'];
  readonly injected: () => Injected;
  /** Groundwork's admin connection: reads the secrets. */
  readonly db: Database;
  readonly observe: Observer;
  readonly graceMs: number;
}

export class FunctionsService {
  private current: FunctionsProject | undefined;
  /** The stand-in specifiers the current project's sources use, found once per read of the folder. */
  private found: string[] | undefined;
  private secrets: Promise<Record<string, string>> | undefined;
  private readonly pool: WorkerPool;
  private watching: Watching | undefined;
  private unlisten: Unlisten | undefined;

  constructor(private readonly o: ServiceOptions) {
    const s = o.settings;
    this.pool = new WorkerPool({ denoPath: findDeno(s.denoPath), runner: runnerPath, memoryMb: s.memoryMb, cpuMs: s.cpuMs, maxWorkers: s.maxWorkers, idleMs: s.idleMs, graceMs: o.graceMs, observe: o.observe });
  }

  /** The functions as last read from disk. */
  project(): FunctionsProject {
    this.current ??= readProject(this.o.settings.dir, this.o.settings.verifyJwt);
    return this.current;
  }

  /** Something under the folder changed: read it again, and replace every worker. */
  changed(): void {
    this.current = undefined;
    this.found = undefined;
    this.pool.retireAll();
  }

  get workers(): number {
    return this.pool.size;
  }

  /** A ready worker for the function; throws BootFailure, PoolBusyError, or the secrets' read error. */
  async worker(spec: FunctionSpec, deadline: number): Promise<FunctionWorker> {
    const secrets = await this.readSecrets();
    const project = this.project();
    return this.pool.acquire(
      spec,
      () => {
        const own = spec.importMap === undefined ? undefined : readImportMapFile(spec.importMap);
        this.found ??= sourceTexts(project.dir).flatMap((text) => remoteSpecifiers(text, shims));
        return {
          importMap: buildImportMap(own, spec.importMap, this.found, shims),
          env: workerEnv(project.env, secrets, this.o.injected(), { denoDir: this.o.settings.denoDir, npmRegistry: this.o.settings.npmRegistry, home: this.o.settings.home, network: this.o.settings.network }),
        };
      },
      deadline,
    );
  }

  private readSecrets(): Promise<Record<string, string>> {
    if (this.secrets === undefined) {
      const reading = readSecrets(this.o.db);
      this.secrets = reading;
      reading.catch(() => {
        if (this.secrets === reading) this.secrets = undefined; // read again next time
      });
    }
    return this.secrets;
  }

  /** Watches the folder and the secrets; after this, changes replace workers. */
  async start(): Promise<void> {
    this.watching = watchFunctions(this.o.settings.dir, () => this.changed());
    const secretsChanged = () => {
      this.secrets = undefined;
      this.pool.retireAll();
    };
    this.unlisten = await this.o.db.listen('groundwork_functions', secretsChanged, secretsChanged);
  }

  async stop(): Promise<void> {
    this.watching?.close();
    await this.unlisten?.().catch(() => undefined);
    await this.pool.close();
  }
}
