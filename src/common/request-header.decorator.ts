import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Request } from 'express';

/**
 * One request header's value (the first, when repeated), like Nest's `@Headers(name)` but unseen by
 * Swagger, which would list `@Headers` as a required parameter of its lower-case name: document
 * a header that matters to clients with `@ApiHeader`, content negotiation with `@ApiProduces`.
 */
export const RequestHeader = createParamDecorator(
  (name: string, ctx: ExecutionContext): string | undefined => {
    const value = ctx.switchToHttp().getRequest<Request>().headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  },
);
