/** The Containers service measured in-process for bench/run; not exported, never shipped. */
package io.jpod.bench.probe;
