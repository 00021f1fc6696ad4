/**
 * Data sets for training and evaluating variational autoencoders.
 *
 * <p>All data is held in memory as {@link org.vae4j.data.ArrayDataset}s of float vectors in
 * [0,1], grouped into {@link org.vae4j.data.DataSplits}. Sources are selected with a short spec
 * string ({@code mnist}, {@code fashion-mnist}, {@code idx:DIR}, {@code shapes},
 * {@code shapes:rgb}, {@code shapes:size=64,n=5000,seed=3}) that
 * {@link org.vae4j.data.DataSources} dispatches to a {@link org.vae4j.data.DataSourceProvider}
 * found with {@link java.util.ServiceLoader}. Bad input is reported as a
 * {@link org.vae4j.data.DataException} with a one-line message naming the file and the problem.
 */
package org.vae4j.data;
