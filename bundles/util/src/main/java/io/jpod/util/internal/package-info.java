/**
 * Small helpers several bundles need: atomic file writes, tree deletion, helper processes with a timeout.
 * Not exported: each bundle that uses them embeds this package (bnd {@code -conditionalpackage}).
 */
package io.jpod.util.internal;
