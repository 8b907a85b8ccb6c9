/** One problem with one field of a request, as listed in a problem+json body. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * Base of every error the domain throws on purpose. The API maps each one to an
 * RFC 9457 problem+json response; anything else that escapes is a bug (5xx).
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly errors: FieldError[];
  constructor(message: string, errors: FieldError[] = []) {
    super(message);
    this.name = new.target.name;
    this.errors = errors;
  }
}

/** The request is well-formed but names values the domain refuses (400 by default). */
export class Invalid extends DomainError {
  readonly code = 'invalid';
  readonly status: number;
  constructor(message: string, errors: FieldError[] = [], status = 400) {
    super(message, errors);
    this.status = status;
  }
}

/** A single field is wrong: shorthand for Invalid with one FieldError. */
export function invalidField(path: string, message: string, status = 400): Invalid {
  return new Invalid(`${path}: ${message}`, [{ path, message }], status);
}

/** The base of a domain error that always has one code and one status. */
function fixed<C extends string, S extends number>(code: C, status: S) {
  abstract class Fixed extends DomainError {
    readonly code = code;
    readonly status = status;
  }
  return Fixed;
}

/** The resource does not exist in this workspace (also used for other tenants' resources). */
export class NotFound extends fixed('not-found', 404) {}

/** The request conflicts with the resource's current state. */
export class Conflict extends fixed('conflict', 409) {}

/** No valid credentials. */
export class Unauthorized extends fixed('unauthorized', 401) {}

/** Valid credentials whose role does not allow the action. */
export class Forbidden extends fixed('forbidden', 403) {}

/** An error that tells the client to ask again after `retryAfterSeconds` (sent as Retry-After). */
export abstract class RetryLater extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Too many requests for this key; retry after the given number of seconds. */
export class RateLimited extends RetryLater {
  readonly code = 'rate-limited';
  readonly status = 429;
}

/**
 * A request with this Idempotency-Key is still being served: not a conflict
 * with the resource, but "ask again shortly" (409 with its own problem type
 * and Retry-After, so a client waits and repeats rather than giving up).
 */
export class InProgress extends RetryLater {
  readonly code = 'in-progress';
  readonly status = 409;
}
