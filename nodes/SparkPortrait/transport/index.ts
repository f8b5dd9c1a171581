/** One client per kind of request, each with its own rules and a typed answer, over one HTTP core (http.ts). */
import type { IExecuteFunctions } from 'n8n-workflow';

import { resolveEndpoints, type SparkCredentialData } from '../api/endpoints';
import { classifyHost } from './addressPolicy';
import { ApiClient, CREDENTIAL_NAME } from './apiClient';
import { DownloadClient, ImageCheckClient } from './keylessClients';
import { HttpCore, type HttpSettings } from './http';
import { SecretScrubber } from './redact';
import { originOf } from './redirects';
import { budgetFor } from './requestBudget';

export type Transport = Awaited<ReturnType<typeof createTransport>>;

/**
 * The clients of this execution: endpoints from the Vtrix API credential, refused before any request if unusable.
 * `shareBudget`: take the process's request budget for the API's origin (otherwise each request goes on its own).
 */
export async function createTransport(ctx: IExecuteFunctions, settings: HttpSettings, shareBudget: boolean) {
	const credentials = (await ctx.getCredentials(CREDENTIAL_NAME)) as SparkCredentialData;
	const endpoints = resolveEndpoints(credentials);
	// Every answer loses the key, whoever sent it: a result host or an image host may echo it too.
	const core = new HttpCore(settings, new SecretScrubber([String(credentials.apiKey)]));
	const budget = shareBudget ? budgetFor(originOf(endpoints.createTaskUrl), settings.clock) : undefined;
	return { api: new ApiClient(ctx, endpoints, core, budget), downloads: new DownloadClient(ctx, core, classifyHost(new URL(endpoints.baseUrl).hostname)), imageChecks: new ImageCheckClient(ctx, core) };
}
