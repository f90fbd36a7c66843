import { lambda } from 'manifold/lambda'
import app from '../core/app.ts'

export const handler = lambda(app)
