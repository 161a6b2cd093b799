/**
 * The size cap of YAML a user hands in, apart from the parser so that readers can
 * name it without loading the `yaml` package.
 *
 * @module
 */

/** The most text read as YAML: 1 MiB (a plan is a few KiB, a batch of 1,000 requests about 300 KiB). */
export const MAX_YAML_SIZE = 1024 * 1024;
