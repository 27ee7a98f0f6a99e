external_url 'https://gitlab.uyoop.fr'
nginx['listen_port'] = 80
nginx['listen_https'] = false
letsencrypt['enable'] = false
gitlab_rails['gitlab_shell_ssh_port'] = 2222
gitlab_rails['omniauth_allow_single_sign_on'] = ['openid_connect']
gitlab_rails['omniauth_block_auto_created_users'] = false
gitlab_rails['omniauth_providers'] = [
  {
    name: 'openid_connect',
    label: 'Authelia',
    args: {
      name: 'openid_connect',
      scope: ['openid', 'profile', 'email', 'groups'],
      issuer: 'https://auth.uyoop.fr',
      discovery: true,
      client_auth_method: 'basic',
      client_options: {
        identifier: 'gitlab',
        secret: File.read('/run/secrets/oidc-client-secret').strip,
        redirect_uri: 'https://gitlab.uyoop.fr/users/auth/openid_connect/callback'
      }
    }
  }
]
prometheus_monitoring['enable'] = false
