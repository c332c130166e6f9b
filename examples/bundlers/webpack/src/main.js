// webpack's entry. No rule for the wasm: webpack 5 finds the package's wasm by itself.
import Nango, { AuthError } from '@nango-rs/frontend'
import { mount } from '../../app.js'

mount({ Nango, AuthError })
