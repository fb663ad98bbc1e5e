/**
 * Renders the comparison runner's charts with XChart: {@link dev.multiproc.benchmarks.report.Charts} reads a small
 * tab-separated description that {@code benchmarks/run.py} writes and saves one SVG bar chart per block.
 */
package dev.multiproc.benchmarks.report;
