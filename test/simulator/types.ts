// Public types of the simulator. Other test code imports these names, so they stay stable.

export type ResponseShape = 'plain' | 'envelope';
/** 'vtrix': in_progress / completed / failed, as Vtrix's model pages and client; 'canonical': pending / processing / ... */
export type StatusWords = 'vtrix' | 'canonical' | 'alternate';
/** Which create body shapes are accepted: Vtrix's client's `{model, input: [{params}]}`, flat fields, or both. */
export type AcceptedFormats = 'vtrixClient' | 'flat' | 'both';
export type CanonicalStatus = 'pending' | 'processing' | 'completed' | 'failed';
export type GenMode = 'creative' | 'reference' | 'reference_char';
export type RateLimitHeaderStyle = 'none' | 'x-ratelimit' | 'ratelimit';
export type ProgressShape = 'linear' | 'jumping' | 'stalling' | 'none';
/** 'realistic': the input decoded and edited (editImage.ts); 'cheap': a plain picture of the requested size, the input only checked. */
export type ImageWork = 'realistic' | 'cheap';

export interface SimulatorOptions {
	/** 0 = random (default). */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** The valid Bearer key, default 'sim-test-key'. */
	apiKey?: string;
	/** Default '/model/v1/generation' (Vtrix's). */
	createPath?: string;
	/** Default '/model/v1/generation/task/{taskId}' (Vtrix's). */
	statusPath?: string;
	/** Default 'vtrixClient': a flat body is refused with a 400, as a Vtrix that wants its client's shape would. */
	acceptFormats?: AcceptedFormats;
	/** Total time from create to completed, default 3000. */
	taskDurationMs?: number;
	/** Delay before the task fetches image_input, default 0 (an API that queues work fetches it later). */
	inputFetchDelayMs?: number;
	/** How long a task may take to fetch image_input before it fails with 003010097, default 10 000 ms. */
	inputFetchTimeoutMs?: number;
	/** Share of the duration spent in 'pending' before 'processing', default 0.2. */
	pendingFraction?: number;
	/** +- random jitter on the duration from a seeded PRNG, default 0. */
	jitterMs?: number;
	/**
	 * Relative spread of the duration: each task takes taskDurationMs x (1 +- up to this share), uniform
	 * from a seeded PRNG, default 0. 0.2 gives "10 s +- 20 %" batches.
	 */
	taskTimeSpread?: number;
	/** Seed of the durations' PRNG; setting it (again) restarts the sequence, so a batch repeats exactly. */
	taskTimeSeed?: number;
	/** More than N create/status requests in any 1 s window -> 429 with Retry-After: 1. 0 = off (default). */
	rateLimitPerSecond?: number;
	/** While a rate limit is on, which rate-limit headers the API answers carry (default 'none'). */
	rateLimitHeaders?: RateLimitHeaderStyle;
	/** Headers added to every accepted create and status answer, as a gateway might (default none). */
	answerHeaders?: Record<string, string>;
	/** How reported progress follows the task's time (progressShapes.ts), default 'linear'. */
	progressShape?: ProgressShape;
	/** 'envelope' wraps JSON bodies as {code, message, data} and uses task_id instead of id. */
	responseShape?: ResponseShape;
	/** Default 'vtrix' (in_progress, with progress); 'canonical' pending / processing; 'alternate' queued / running / succeeded / error. */
	statusWords?: StatusWords;
	/** usage.cost on completion, default '0.0300'. */
	costUsd?: string;
	/**
	 * Default 'cheap' (a fifteenth of the CPU per task): tests that look at the result's pixels, and
	 * anything a person looks at (the CLI, `npm start`), ask for 'realistic'.
	 */
	imageWork?: ImageWork;
	/**
	 * The simulator's time (task times, request arrival): default the wall clock; a test that runs the
	 * node on virtual time gives both the same clock (test/support/fakeClock.ts).
	 */
	now?: () => number;
	/** Optional logger, one line per request. */
	log?: (line: string) => void;
}

export type ResolvedOptions = Required<SimulatorOptions>;

export type Route = 'create' | 'status' | 'download' | 'fixture' | 'control' | 'unknown';

export interface RecordedRequest {
	/** Arrival time, ms since the epoch. */
	at: number;
	method: string;
	/** The request target as sent, query string included. */
	path: string;
	route: Route;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body was JSON, the raw text otherwise, absent when empty. */
	body?: unknown;
	/** For a create: the body's bytes as text, exactly as received. */
	text?: string;
	/** For a create: its fields (model, image_input, ...), flat, whether they came wrapped as Vtrix's client sends them or flat. */
	fields?: Record<string, unknown>;
	/** Set when the response has been sent; absent for dropped or hung requests. */
	statusCode?: number;
	/** When the exchange ended: answered, dropped, or (a hung request) the client gave up on it. */
	closedAt?: number;
	taskId?: string;
}

export type FaultRoute = 'create' | 'status' | 'download' | 'fixture' | 'any';
export type FaultKind = 'delay' | 'http' | 'drop' | 'malformed' | 'hang' | 'redirect' | 'trickle' | 'gzipBomb' | 'extend';

export interface FaultSpec {
	route: FaultRoute;
	/** How many matching requests it applies to, default 1; Infinity allowed. */
	times?: number;
	/** Lets this many matching requests through untouched before it applies (default 0). */
	after?: number;
	/** Only requests for this task (status/download). */
	taskId?: string;
	kind: FaultKind;
	/** For 'delay': wait this long, then process normally. */
	delayMs?: number;
	/** For 'http', e.g. 429, 500, 502, 503, 404; for 'redirect' 301/302/303/307/308 (default 302). */
	statusCode?: number;
	/** For 'redirect': the Location header, absolute (another origin) or relative (same origin). */
	location?: string;
	/** For 'http': adds a Retry-After header. */
	retryAfterSeconds?: number;
	/** For 'http': the JSON body to send (default an error object). */
	body?: unknown;
	/** For 'http': the body as plain text instead (not JSON), e.g. an HTML error page or a proxy's words. */
	text?: string;
	/** For 'trickle': the normal reply, its body sent one byte per this many ms (default 500). */
	intervalMs?: number;
	/** For 'gzipBomb': the normal reply, gzip-compressed and padded to about this many bytes once inflated. */
	inflatedBytes?: number;
	/** For 'extend': the normal reply with these fields set in its JSON (in `data` when enveloped): a hostile value in a real answer. */
	fields?: Record<string, unknown>;
	/** For 'http', 'drop', 'malformed' and 'hang' on create: create the task first, then misbehave. */
	process?: boolean;
}

/** What a created task will do; `durationMs` overrides the drawn duration (an outlier in a batch). */
export type TaskOutcome =
	| { kind: 'complete'; durationMs?: number }
	| { kind: 'fail'; code: string; message?: string; durationMs?: number }
	| { kind: 'never' };

export interface TaskError {
	code: string;
	error_message: string;
}

/** The effective create parameters after defaults and gen_mode switching. */
export interface TaskParams {
	image_input: string;
	prompt: string;
	width: number;
	height: number;
	gpen: number;
	skin: number;
	skin_unifi: number;
	gen_mode: GenMode;
	seed: string;
}

export interface TaskOutput {
	url: string;
	size: number;
	jobId: string;
}

/** A snapshot of one task, its status computed at the time of the call. */
export interface SimTask {
	id: string;
	jobId: string;
	model: string;
	status: CanonicalStatus;
	params: TaskParams;
	outcome: TaskOutcome;
	/** ms since the epoch. */
	createdAt: number;
	pendingUntil: number;
	completesAt: number;
	/** True once the image work has finished, successfully or not. */
	imageSettled: boolean;
	/**
	 * When the status first read completed or failed (the duration's end, or later when the picture
	 * was not ready by then); absent while it has not.
	 */
	finishedAt?: number;
	/** Present when status is 'failed'. */
	error?: TaskError;
	/** Present when status is 'completed'; url is absolute, on the simulator base URL. */
	output?: TaskOutput;
}

export interface SimulatorHandle {
	/** Base URL, e.g. http://127.0.0.1:41234 */
	readonly url: string;
	readonly port: number;
	readonly apiKey: string;
	/** Effective options (a live view; change them with configure). */
	readonly options: ResolvedOptions;
	/** Every request received, in order. */
	readonly requests: RecordedRequest[];
	requestsTo(route: Route): RecordedRequest[];
	/** Queue a fault; faults are consumed in FIFO order per matching request. */
	injectFault(fault: FaultSpec): void;
	/** The next created tasks get these outcomes in order, then 'complete'. */
	setNextTaskOutcomes(...outcomes: TaskOutcome[]): void;
	/** Change options at run time (not port or host). An undefined value restores the default. */
	configure(partial: Partial<SimulatorOptions>): void;
	/** Clear recorded requests, faults and queued outcomes; tasks stay. */
	reset(): void;
	task(id: string): SimTask | undefined;
	/** Whether tasks' image work (fetching the input, the edit) is still running: a virtual clock waits for it. */
	imageWorkRunning(): boolean;
	/** Close the server and destroy open sockets, hung ones included. */
	close(): Promise<void>;
}
