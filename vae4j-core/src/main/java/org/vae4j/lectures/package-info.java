/**
 * Measurements behind the lecture claims about autoencoders and VAEs: latent geometry of 2-D codes
 * ({@link org.vae4j.lectures.CodeGeometry}), whether decoded images look like data ({@link org.vae4j.lectures.Realism},
 * {@link org.vae4j.lectures.NearestNeighbours}), interpolation paths ({@link org.vae4j.lectures.PathStats}),
 * factor alignment ({@link org.vae4j.lectures.FactorAlignment}), the reparameterised against the score-function
 * gradient estimator ({@link org.vae4j.lectures.GradientVariance}) and the experiment set-up that ties them
 * together ({@link org.vae4j.lectures.Lectures}). {@link org.vae4j.lectures.Lectures#run} trains the models
 * ({@link org.vae4j.lectures.LectureModels}), measures every claim ({@link org.vae4j.lectures.LectureClaim}) and
 * returns a {@link org.vae4j.lectures.LectureReport}: each section's figures and its {@link org.vae4j.lectures.Verdict}s,
 * decided by the rules in {@link org.vae4j.lectures.LectureVerdicts}. No presentation: the CLI draws and writes.
 */
package org.vae4j.lectures;
