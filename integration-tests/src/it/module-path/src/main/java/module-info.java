/** The consumer application as a named module; multiproc and its transports are automatic modules. */
module app {
    requires dev.multiproc;
}
