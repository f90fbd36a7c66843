import { serve } from 'manifold/http'
import app from '../core/app.ts'

await serve(app)
