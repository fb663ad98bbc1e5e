/**
 * The runtime behind the public API: context, child launcher and child main, the protocol, the hub that holds
 * shared state in the parent, the pool scheduler. Not API: anything here may change in any release.
 */
package dev.multiproc.internal;
