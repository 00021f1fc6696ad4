/**
 * Pure-Java file I/O for vae4j model and run directories: the safetensors tensor format
 * ({@link org.vae4j.io.SafeTensors}), crash-safe file and directory publishing
 * ({@link org.vae4j.io.AtomicFiles}), SHA-256 checksums ({@link org.vae4j.io.Checksums}) and a
 * cross-process run-directory lock ({@link org.vae4j.io.RunLock}).
 *
 * <p>This package deliberately has no DJL types, so model files can be inspected, validated and
 * written without loading a native engine.
 *
 * <p>Error conventions: a malformed or hostile file raises {@link org.vae4j.io.ModelFormatException}
 * with a single-line message that starts with the file (or source) name; an operating-system
 * failure raises {@link java.io.UncheckedIOException} whose message names the path and the cause;
 * invalid arguments raise {@link IllegalArgumentException}.
 */
package org.vae4j.io;
