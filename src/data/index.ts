/** vaelab's data layer: readers, named datasets, synthetic sets, batching and splits. */
export { DataError } from './errors.js';
export {
  exampleSize,
  hasLabels,
  labelOf,
  makeDataset,
  range,
  subset,
  type Dataset,
  type GeneratedDataset,
  type Source,
  type SourceInfo,
  type Splits,
  type Subset,
  type ValueRange,
} from './dataset.js';
export { encodeIdx, parseIdx, readIdx, type IdxArray, type IdxType } from './idx.js';
export { encodeNpy, parseNpy, type NpyArray } from './npy.js';
export { decodePng, encodePng, readPngFolder, type DecodedPng } from './png-folder.js';
export { parseCsv, readCsv, type CsvOptions } from './csv.js';
export { arrayToDataset, detectFormat, readLabels, readUserData, type FileFormat, type UserDataOptions } from './files.js';
export { IWAE_VALIDATION, loadMnist, loadMnistPart, mnistDir } from './mnist.js';
export { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, loadFashionMnistPart } from './fashion-mnist.js';
export {
  DSPRITES_FACTORS,
  DSPRITES_N,
  DSPRITES_SHAPES,
  DSPRITES_SIDE,
  DSPRITES_SIZES,
  dspritesDataset,
  dspritesFactorMatrix,
  dspritesFactors,
  dspritesImage,
  dspritesIndex,
  dspritesValues,
  renderSprite,
  type DspritesFactor,
  type DspritesFactors,
  type DspritesValues,
} from './dsprites.js';
export { meanAndCovariance, ppcaCovariance, ppcaLogLikelihood, randomPpcaParams, samplePpca, type PpcaParams } from './ppca.js';
export { gaussianMixture, pinwheel, rings, type GmmParams } from './synthetic.js';
export { cholesky, inverseSpd, symmetricEigen, type SymmetricEigen } from './linalg.js';
export {
  batchCount,
  batches,
  staticBinarize,
  toBatch,
  type Batch,
  type BatchOptions,
  type Preprocess,
  type PreprocessOptions,
} from './batches.js';
export { splitDataset, type SplitOptions, type SplitResult } from './split.js';
export { DATASET_NAMES, isDatasetName, loadDataset, type DatasetName, type DatasetLoadOptions, type LoadedDataset } from './registry.js';
