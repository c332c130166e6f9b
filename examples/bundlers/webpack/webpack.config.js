// A plain webpack 5 app: an entry and a generated page. No rule for the wasm: webpack 5 emits the
// file @nango-rs/frontend points to with `new URL('…wasm', import.meta.url)` as an asset.
import HtmlWebpackPlugin from 'html-webpack-plugin'
import { fileURLToPath } from 'node:url'

export default {
  entry: './src/main.js',
  output: { path: fileURLToPath(new URL('./dist', import.meta.url)), clean: true },
  plugins: [new HtmlWebpackPlugin({ title: 'nango-rs with webpack 5' })]
}
