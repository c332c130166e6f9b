// Vite's entry. No vite.config: Vite finds the package's wasm by itself.
import Nango, { AuthError } from '@nango-rs/frontend'
import { mount } from '../../app.js'

mount({ Nango, AuthError })
