import { Controller, Get, Header, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';

/** The console's files, next to the compiled controller (the build copies `public/` into dist). */
const PUBLIC_DIR = new URL('./public/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * The page may load only its own script and style and talk only to this gateway: data shown from
 * orders and messages (a customer's name, an error text) can never run as code or leave the page.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The ops console (`/ops`): a static page for the on-call engineer. It holds no data and no
 * secret: it asks the public API with the ops key the engineer signs in with (kept in the tab's
 * sessionStorage), so every answer is authorised like any other API call.
 */
@ApiExcludeController()
@Controller('ops')
export class OpsConsoleController {
  private readonly files = new Map(Object.keys(CONTENT_TYPES).map((name) => [name, readFileSync(new URL(name, PUBLIC_DIR))]));

  @Get()
  @Header('Cache-Control', 'no-cache')
  page(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get(':asset')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    if (!Object.hasOwn(CONTENT_TYPES, asset)) throw new NotFoundException({ code: 'NOT_FOUND', detail: 'No such file in the ops console.' });
    this.send(res, asset);
  }

  private send(res: Response, name: string): void {
    res.setHeader('Content-Type', CONTENT_TYPES[name]);
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.send(this.files.get(name));
  }
}
