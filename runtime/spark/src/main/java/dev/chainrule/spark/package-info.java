/**
 * Training generated models on Apache Spark, and scoring and evaluating Spark datasets with them:
 * {@link dev.chainrule.spark.SparkData} is a {@link dev.chainrule.train.GradientSource} for the
 * runtime's {@link dev.chainrule.train.Trainer}, {@link dev.chainrule.spark.SparkScoring} applies a
 * trained model on the cluster.
 */
package dev.chainrule.spark;
