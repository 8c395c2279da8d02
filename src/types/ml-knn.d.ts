/** Types for ml-knn 3.x (it ships none): k-nearest-neighbour classification over a k-d tree. */
declare module 'ml-knn' {
  export default class KNN {
    /** dataset: one example per row; labels: one class per row; k defaults to the number of classes + 1. */
    constructor(dataset: number[][], labels: number[], options?: { k?: number });
    /** The majority class among the k nearest training rows (Euclidean) of each row. */
    predict(dataset: number[][]): number[];
  }
}
