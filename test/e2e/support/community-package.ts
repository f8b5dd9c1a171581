import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { runCommand } from './child-process';
import { npmCommand, npmEnv } from './npm';

const INSTALL_TIMEOUT_MS = 120_000;

async function dependencyNames(nodesDir: string): Promise<string[]> {
	const manifest = JSON.parse(await readFile(path.join(nodesDir, 'package.json'), 'utf8')) as {
		dependencies?: Record<string, string>;
	};
	return Object.keys(manifest.dependencies ?? {});
}

/**
 * Installs a packed community package the way a user's n8n gets it: into `<n8n folder>/nodes`, where n8n
 * loads `node_modules/n8n-nodes-*`. Peer dependencies are left out (`--legacy-peer-deps`, which also
 * keeps npm off the registry), so `n8n-workflow` resolves from the n8n that loads the package.
 * Returns the package name.
 */
export async function installCommunityPackage(nodesDir: string, tarball: string): Promise<string> {
	const tarballPath = path.resolve(tarball);
	if (!existsSync(tarballPath)) throw new Error(`package tarball not found: ${tarballPath}`);
	await mkdir(nodesDir, { recursive: true });
	// The same manifest n8n writes when it installs a community package itself.
	await writeFile(
		path.join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2)}\n`,
	);

	const npm = npmCommand();
	const args = [
		...npm.prefixArgs,
		'install',
		tarballPath,
		'--prefix',
		nodesDir,
		'--legacy-peer-deps',
		'--ignore-scripts',
		'--omit=dev',
		'--no-audit',
		'--no-fund',
		'--no-package-lock',
		'--loglevel=error',
	];
	const result = await runCommand(npm.command, args, { cwd: nodesDir, env: npmEnv(), timeoutMs: INSTALL_TIMEOUT_MS });
	if (result.exitCode !== 0) {
		throw new Error(`npm install ${tarballPath} failed (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
	}

	const [name, ...others] = await dependencyNames(nodesDir);
	if (!name || others.length > 0) {
		const got = [name, ...others].filter(Boolean).join(', ') || 'none';
		throw new Error(`expected one package in ${nodesDir}/package.json, got: ${got}`);
	}
	if (!existsSync(path.join(nodesDir, 'node_modules', name, 'package.json'))) {
		throw new Error(`npm reported success but ${name} is not in ${nodesDir}/node_modules`);
	}
	// A copy here would shadow n8n's own n8n-workflow and hide version mismatches.
	if (existsSync(path.join(nodesDir, 'node_modules', 'n8n-workflow'))) {
		throw new Error(`n8n-workflow was installed into ${nodesDir}; it must come from n8n itself`);
	}
	return name;
}
