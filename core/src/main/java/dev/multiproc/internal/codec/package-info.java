/**
 * Every process: the default {@code Codec} (a tagged binary format for plain data, Java serialization behind a
 * filter for the rest) and the diagnostics that say which part of an object could not be serialized. Not API.
 */
package dev.multiproc.internal.codec;
