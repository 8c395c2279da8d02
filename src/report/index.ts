/** Reports: the pictures, charts and HTML page of a trained run (layer 5, DESIGN.md). */
export { writeReport, type ReportOptions, type ReportResult } from './report.js';
export { varianceLaw, byActivity, normalQuantile, type VarianceLawRow } from './latents.js';
export { renderSvg, type Chart } from './charts.js';
export { writeImageGrid, imageGridPng, gridSize, imageShape, squareLayout, type ImageShape, type GridLayout } from './canvas.js';
export type { Picture } from './pictures.js';
