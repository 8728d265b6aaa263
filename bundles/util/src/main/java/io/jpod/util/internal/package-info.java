/**
 * Small helpers several bundles need: atomic file writes, tree deletion, helper processes with a timeout, names
 * resolved inside a root directory without following links out of it.
 * Not exported: each bundle that uses them embeds this package (bnd {@code -conditionalpackage}).
 */
package io.jpod.util.internal;
