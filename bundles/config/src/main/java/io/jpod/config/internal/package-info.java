/** The reading, merging, mapping and checking behind {@link io.jpod.config.ConfigLoader}. Private to the bundle. */
package io.jpod.config.internal;
