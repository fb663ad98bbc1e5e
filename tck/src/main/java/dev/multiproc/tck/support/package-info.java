/** Main classes the tck runs in separate JVMs (orphan checks, output checks). Not API. */
package dev.multiproc.tck.support;
