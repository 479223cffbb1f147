import { Worker } from 'node:worker_threads';
import {
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  registerDecorator,
} from 'class-validator';

/**
 * zxcvbn's score (0-4) a new password needs: 3 is "safely unguessable", about 10^8 guesses and
 * more. NIST SP 800-63B asks to refuse common, expected and breached passwords; zxcvbn matches
 * the password against its lists of the most used and leaked passwords, words and names, and
 * against keyboard walks, sequences, repeats, dates and l33t spellings of all of these.
 */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordVerdict {
  score: number;
  warning: string | null;
  suggestions: string[];
}

/**
 * Runs in a worker thread: matching is CPU work of up to tens of milliseconds, which must not
 * stall the event loop that serves every charger. The analysed length and the number of l33t
 * substitutions tried are bounded, so every check is bounded work; a password whose first 32
 * characters are weak is weak.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { ZxcvbnFactory } = require(${JSON.stringify(require.resolve('@zxcvbn-ts/core'))});
const common = require(${JSON.stringify(require.resolve('@zxcvbn-ts/language-common'))});
const en = require(${JSON.stringify(require.resolve('@zxcvbn-ts/language-en'))});
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
  maxLength: 32,
  l33tMaxSubstitutions: 8,
});
parentPort.on('message', ({ id, password, context }) => {
  const r = zxcvbn.check(password, context);
  parentPort.postMessage({ id, score: r.score, warning: r.feedback.warning || null, suggestions: r.feedback.suggestions });
});
`;

/** One worker per process, started on first use; it never keeps the process alive. */
class PasswordStrength {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve(v: PasswordVerdict): void; reject(e: unknown): void }
  >();

  /** `context`: words of the account itself (username, email, old password), which make it guessable. */
  judge(password: string, context: string[]): Promise<PasswordVerdict> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, password, context });
    });
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', ({ id, ...verdict }: PasswordVerdict & { id: number }) => {
      this.pending.get(id)?.resolve(verdict);
      this.pending.delete(id);
    });
    const fail = (err: unknown) => {
      this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The password strength worker exited with ${code}`)));
    // After the listeners: adding a 'message' listener would hold the process open again.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

export const passwordStrength = new PasswordStrength();

/** The validation message: what zxcvbn found, or a generic hint. */
export function weakPasswordMessage(field: string, verdict: PasswordVerdict): string {
  const why = [verdict.warning, ...verdict.suggestions].filter(Boolean).join(' ');
  return `${field} is too easy to guess${why ? `: ${why}` : '; use a few uncommon words'}`;
}

@ValidatorConstraint({ name: 'hardToGuess', async: true })
class HardToGuessConstraint implements ValidatorConstraintInterface {
  private readonly verdicts = new WeakMap<object, Map<string, PasswordVerdict>>();

  async validate(value: unknown, args: ValidationArguments): Promise<boolean> {
    if (typeof value !== 'string') return true; // @IsString reports it
    const object = args.object as Record<string, unknown>;
    const context = (args.constraints as string[])
      .map((field) => object[field])
      .filter((v): v is string => typeof v === 'string' && v.length > 0);
    const verdict = await passwordStrength.judge(value, context);
    if (!this.verdicts.has(object)) this.verdicts.set(object, new Map());
    this.verdicts.get(object)!.set(args.property, verdict);
    return verdict.score >= MIN_PASSWORD_SCORE;
  }

  defaultMessage(args: ValidationArguments): string {
    const verdict = this.verdicts.get(args.object)?.get(args.property);
    return verdict ? weakPasswordMessage(args.property, verdict) : `${args.property} is too easy to guess`;
  }
}

/**
 * A new password must be hard to guess (NIST SP 800-63B: no common, expected or breached
 * password). `contextFields`: the DTO's other fields the password must not be built from.
 */
export const HardToGuess =
  (...contextFields: string[]) =>
  (target: object, propertyName: string): void =>
    registerDecorator({
      target: target.constructor,
      propertyName,
      constraints: contextFields,
      validator: HardToGuessConstraint,
    });
