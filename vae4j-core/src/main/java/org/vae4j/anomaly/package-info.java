/**
 * Anomaly scores from a trained model: per-record −ELBO, importance-weighted −log p(x), An &amp; Cho's
 * reconstruction probability and the autoencoder's reconstruction error ({@link org.vae4j.anomaly.AnomalyScores}),
 * and the ranking metrics ROC-AUC and average precision ({@link org.vae4j.anomaly.RankingMetrics}).
 */
package org.vae4j.anomaly;
