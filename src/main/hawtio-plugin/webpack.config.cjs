// Builds CP Hub's Hawtio plugin as a Module Federation remote (scope "cphubConsole", module "./plugin") that
// Hawtio loads after sign-in (vn.quangninh.cphub.web.CpHubConsolePlugin). React, PatternFly and @hawtio/react
// are Hawtio's own (shared singletons, "import: false"): the plugin brings none of them, so it always runs
// on the versions the hub's Hawtio (5.2: @hawtio/react 2.2, PatternFly 6.4, React 18.3) was built with.
const path = require('path')
const { ModuleFederationPlugin } = require('webpack').container

const hawtioShares = {
  react: '^18.2.0',
  'react-dom': '^18.2.0',
  '@hawtio/react': '^2.2.0',
  '@patternfly/react-core': '^6.0.0',
  '@patternfly/react-table': '^6.0.0',
}

module.exports = (_, args) => ({
  entry: {},
  mode: args.mode || 'production',
  devtool: false,
  plugins: [
    new ModuleFederationPlugin({
      name: 'cphubConsole',
      filename: 'remoteEntry.js',
      exposes: { './plugin': './src/index.js' },
      shared: Object.fromEntries(Object.entries(hawtioShares).map(([name, version]) => [
        name, { singleton: true, import: false, requiredVersion: version },
      ])),
    }),
  ],
  output: {
    clean: true,
    path: process.env.CPHUB_PLUGIN_OUT || path.resolve(__dirname, '../../../target/classes/static/cphub-console'),
    publicPath: 'auto',
    filename: '[name].[contenthash:8].js',
    chunkFilename: '[name].[contenthash:8].chunk.js',
  },
  module: {
    rules: [{
      test: /\.jsx?$/,
      exclude: /node_modules/,
      use: {
        loader: 'swc-loader',
        options: { jsc: { parser: { syntax: 'ecmascript', jsx: true }, transform: { react: { runtime: 'classic' } }, target: 'es2020' } },
      },
    }],
  },
  resolve: { extensions: ['.js', '.jsx'] },
  performance: { hints: false },
  stats: 'errors-warnings',
})
