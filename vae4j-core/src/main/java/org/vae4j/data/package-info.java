/**
 * Data sets for training and evaluating variational autoencoders.
 *
 * <p>A {@link org.vae4j.data.Dataset} is a list of float vectors in [0,1], held in memory as an
 * {@link org.vae4j.data.ArrayDataset} or streamed from a memory-mapped cache as a
 * {@link org.vae4j.data.MappedImageDataset} (image folders, {@code images:DIR}), grouped into
 * {@link org.vae4j.data.DataSplits}; {@link org.vae4j.data.BatchReader} reads batches ahead on a
 * background thread. Sources are selected with a short spec
 * string ({@code mnist}, {@code fashion-mnist}, {@code idx:DIR}, {@code shapes},
 * {@code shapes:rgb}, {@code shapes:size=64,n=5000,seed=3}, {@code images:DIR,size=64,channels=3}) that
 * {@link org.vae4j.data.DataSources} dispatches to a {@link org.vae4j.data.DataSourceProvider}
 * found with {@link java.util.ServiceLoader}. A provider declares the options its specs take
 * ({@link org.vae4j.data.DataSourceOption}), which front ends offer as flags and fold into the spec with
 * {@link org.vae4j.data.DataSources#withOptions}; where and how a spec is loaded (data directory,
 * offline, progress) is a {@link org.vae4j.data.LoadContext}. Bad input is reported as a
 * {@link org.vae4j.data.DataException} with a one-line message naming the file and the problem.
 */
package org.vae4j.data;
