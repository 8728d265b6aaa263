/** The Web Console plugin's private parts: the Containers page, the login and its first password. */
package io.jpod.webconsole.internal;
