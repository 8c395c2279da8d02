/** Types for ml-logistic-regression 2.x (it ships none): one-vs-rest logistic regression by gradient descent. */
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** X: one example per row; Y: a column vector of class indices 0..C−1. */
    train(X: Matrix, Y: Matrix): void;
    /** The predicted class of each row of X. */
    predict(X: Matrix): number[];
  }
}
