// The docs family's error catalogue. An unknown asset is the core's GW404, like any URL
// nothing serves; REST's errors reach the REST copy's callers unchanged.
import { apiError, type ApiError } from '../errors/api-error.ts';

export const docsErrors = {
  assetsMissing: (detail: string): ApiError =>
    apiError(503, 'DOCS503', "Swagger UI's files are not installed beside Groundwork (the @fastify/swagger-ui package)", { details: detail }),
};
