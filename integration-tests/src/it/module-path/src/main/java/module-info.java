/** The consumer application as a named module; multiproc and its transports are named modules too (found by service binding). */
module app {
    requires dev.multiproc;
}
