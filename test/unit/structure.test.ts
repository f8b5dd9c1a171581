import { measure, problems } from '../../scripts/structure/structure';

it('every import of the node runs down the order of its folders, and docs/structure.md is current', () => {
	expect(problems()).toEqual([]);
});

it('reads the imports it judges: the router reaches the transport, and nothing imports the actions but the node', () => {
	const { arrows } = measure();
	expect(arrows.get('actions>transport')).toBeGreaterThan(0);
	expect([...arrows.keys()].filter((key) => key.endsWith('>actions'))).toEqual(['node>actions']);
});
