export { FEATURES, featuresOf, specFeatures, type FeatureName, type Features } from './features.ts';
export { crossValidate, fitModel, packForest, quality, type FitQuality, type Sample } from './fit.ts';
export { loadPredictor, loadPredictorFor, predictorName, PREDICTOR_SCHEMA, type LoadedPredictor, type Predictor } from './store.ts';
export { machineMismatch, predict, speedScale, type Prediction } from './predict.ts';
export { buildPredictor, fitFromMeasurements, measurementsFile, predictorPlan, type BuildOptions } from './build.ts';
export { cellPredictions } from './for-cells.ts';
