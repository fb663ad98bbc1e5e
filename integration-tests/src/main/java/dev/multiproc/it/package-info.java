/**
 * What the integration tests' verify scripts call (src/it/NAME/verify.groovy, run by maven-invoker-plugin after each
 * consumer application is built): run a built application as its own process under a deadline, or read the build
 * log of one that ran inside Maven, and compare what it printed with the scenario's exact lines.
 */
package dev.multiproc.it;
