import { hawtio } from '@hawtio/react'
import { CpHubConsole } from './CpHubConsole'

// Hawtio calls this after loading the remote (HawtioPlugin's default entry name "plugin").
export const plugin = () => {
  hawtio.addPlugin({
    id: 'cphub',
    title: 'CP Hub',
    path: '/cphub',
    order: -10,
    component: CpHubConsole,
    isActive: async () => true,
  })
}
